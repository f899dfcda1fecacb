// Test stand-in for the Nx bundle of dast-parser; the real one is dist/apps/dast-parser/main.mjs.
export const handler = async () => ({ fixture: "dast-parser" });
