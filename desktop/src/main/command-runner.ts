import { execFile } from 'node:child_process';

/** Runs a program and gives its standard output; rejects when it cannot run or fails. */
export type CommandRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<string>;

export const runCommand: CommandRunner = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    // execFile's error type is an Omit<> of Error, which the rule cannot see as an Error.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    execFile(file, [...args], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
