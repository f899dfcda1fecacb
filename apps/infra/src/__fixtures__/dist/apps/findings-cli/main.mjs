// Test stand-in for the Nx bundle of findings-cli; the real one is dist/apps/findings-cli/main.mjs.
export const handler = async () => ({ fixture: "findings-cli" });
