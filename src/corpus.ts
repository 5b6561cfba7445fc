// The built-in corpus behind `minrnn/corpus`: original text written for this project
// (about 31 KB of plays, verse and prose about one small river town), so that `minrnn
// train` and the browser demo work with no file at hand. The text is data/corpus.txt; the
// build embeds it in this entry, so browsers and edge runtimes get it with no file access,
// and the main entry does not carry it.
import text from "../data/corpus.txt";

export const corpus: string = text;
