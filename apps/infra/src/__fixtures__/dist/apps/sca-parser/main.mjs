// Test stand-in for the Nx bundle of sca-parser; the real one is dist/apps/sca-parser/main.mjs.
export const handler = async () => ({ fixture: "sca-parser" });
