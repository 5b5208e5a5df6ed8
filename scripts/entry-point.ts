// Whether a script was started from the command line (tsx scripts/….ts), rather than imported by another
// module or a test: `require.main === module` does not tell under vitest, where both are undefined.
import path from "path";

export function isEntryPoint(file: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === file;
}
