// What a browser sees at `/` (Accept: text/html, no query): a small page that explains the
// API and tries it, streaming the sample with an EventSource from this same worker.
/** The page; `limits` are the worker's { maxLength, maxPrime, temperature: [min, max] }. */
export function formPage({ maxLength, maxPrime, temperature: [tMin, tMax] }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minrnn edge worker</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
  body { max-width: 46rem; margin: 0 auto; padding: 1rem; }
  form { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.5rem 1rem; align-items: center; }
  input, select, button { font: inherit; min-height: 2.2rem; }
  pre { white-space: pre-wrap; background: #8881; padding: 0.8rem; border-radius: 6px; min-height: 6rem; }
  code { background: #8881; padding: 0 0.2rem; }
</style>
</head>
<body>
<h1>minrnn edge worker</h1>
<p>Samples text from a small character-level model trained on Shakespeare. Call it from any
page: <code>GET /?prime=ODA:&amp;length=300&amp;temperature=0.8&amp;seed=7</code> returns the
prime and the continuation as text; with <code>Accept: text/event-stream</code> it streams
Server-Sent Events. <code>/lstm</code> serves an LSTM instead. Every response says the seed
it used in <code>Minrnn-Seed</code>.</p>
<form id="ask">
  <label for="model">Model</label>
  <select id="model"><option value="/">rnn, hidden 64</option><option value="/lstm">LSTM, hidden 32</option></select>
  <label for="prime">Prime</label><input id="prime" name="prime" maxlength="${maxPrime}" value="ODA:">
  <label for="length">Length</label><input id="length" name="length" inputmode="numeric" value="300" placeholder="0 to ${maxLength}">
  <label for="temperature">Temperature</label><input id="temperature" name="temperature" inputmode="decimal" value="0.8" placeholder="${tMin} to ${tMax}">
  <label for="seed">Seed</label><input id="seed" name="seed" inputmode="numeric" placeholder="random">
  <span></span><button>Sample</button>
</form>
<p id="about" role="status"></p>
<pre id="out"></pre>
<script>
const form = document.getElementById("ask");
let source = null;
form.onsubmit = (e) => {
  e.preventDefault();
  source?.close();
  const query = new URLSearchParams([...new FormData(form)].filter(([, v]) => v !== ""));
  const route = document.getElementById("model").value;
  const url = route + "?" + query;
  const out = document.getElementById("out");
  const about = document.getElementById("about");
  out.textContent = "";
  about.textContent = "Sampling…";
  source = new EventSource(url);
  source.onmessage = (m) => { out.textContent += JSON.parse(m.data); };
  source.addEventListener("done", (m) => {
    const { seed, characters } = JSON.parse(m.data);
    source.close();
    const again = new URLSearchParams(query);
    again.set("seed", seed);
    about.textContent = characters + " characters, seed " + seed + ". The same text again: " + route + "?" + again;
  });
  source.onerror = async () => {
    source.close();
    const res = await fetch(url);
    about.textContent = res.ok ? "The stream broke off; try again." : await res.text();
  };
};
</script>
</body>
</html>
`;
}
