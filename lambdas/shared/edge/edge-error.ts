/**
 * Input refused at an edge (a parser of outside data): the message says what was wrong and
 * `where` names the input ("row 3", "cursor", "the request body"). Every surface's error mapper
 * turns it into its 4xx / usage error.
 */
export class EdgeInputError extends Error {
  override readonly name = 'EdgeInputError';
  constructor(
    readonly reason: string,
    readonly where: string,
  ) {
    super(`${where}: ${reason}`);
  }
}
