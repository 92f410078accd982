import { printable } from './terminal-text.js';

/**
 * The CLI's one printer: results go to stdout, and only results; `json` prints one document
 * (JSON escapes every control character). Text keeps its own line breaks; any other control
 * character a value brought along is shown escaped, never sent to the terminal.
 */
export function print(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(
    json ? `${JSON.stringify(value, null, 2)}\n` : `${text().split('\n').map(printable).join('\n')}\n`,
  );
}
