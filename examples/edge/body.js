// The response body: the prime, then the characters as they are drawn, pulled only as fast
// as the client reads. Two framings of the same text: plain UTF-8 chunks, or Server-Sent
// Events (one event per chunk, then a `done` event).
const CHUNK = 64; // characters per streamed chunk

/** Chunks of text: the prime with the first CHUNK drawn characters, then CHUNK at a time. */
function* chunks(prime, first, characters) {
  let next = first;
  let text = prime;
  while (true) {
    for (let i = 0; i < CHUNK && !next.done; i++) {
      text += next.value;
      next = characters.next();
    }
    if (text) yield text;
    text = "";
    if (next.done) return;
  }
}

function streamOf(pieces) {
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      const next = pieces.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}

/** The text itself, as `minrnn sample` prints it. */
export function textBody(prime, first, characters) {
  return streamOf(chunks(prime, first, characters));
}

/**
 * Server-Sent Events: each chunk's text as a JSON string in a default (`message`) event,
 * exact for any character (a raw line break or carriage return would end an SSE line);
 * then `event: done` with { seed, characters }: the seed to reproduce the text, and how
 * many characters (code points, the prime's included) the events held.
 */
export function eventBody(prime, first, characters, seed) {
  return streamOf((function* () {
    let count = 0;
    for (const text of chunks(prime, first, characters)) {
      count += [...text].length;
      yield `data: ${JSON.stringify(text)}\n\n`;
    }
    yield `event: done\ndata: ${JSON.stringify({ seed, characters: count })}\n\n`;
  })());
}
