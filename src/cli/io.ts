/** Where the CLI writes for a person: stdout for results, stderr for failures. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const consoleIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
};
