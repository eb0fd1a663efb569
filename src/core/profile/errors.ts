// A profile that cannot be read. The message always names the file, says what is wrong with it
// and what the user can do, because it is shown as-is in the CLI and in VS Code notifications.
export class ProfileError extends Error {
  constructor(
    message: string,
    /** The file that could not be read, when there is one. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'ProfileError';
  }
}

/** Shortens a byte offset into something readable in an error message. */
export function describeOffset(offset: number, size: number): string {
  return `at byte ${offset.toLocaleString('en-US')} of ${size.toLocaleString('en-US')}`;
}
