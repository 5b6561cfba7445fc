// The cores `--threads auto` and startThreads(model, { threads: "auto" }) use here.
import * as os from "node:os";

/** os.availableParallelism() (Node 18.14 on), else the count of os.cpus(). */
export function availableCores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : Math.max(1, os.cpus().length);
}
