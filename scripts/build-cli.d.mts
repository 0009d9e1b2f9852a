/** Types of build-cli.mjs for the TypeScript callers (tests, bench). */
export const CLI_BUNDLE: string;
export function buildCli(): Promise<void>;
export function ensureCli(): Promise<string>;
