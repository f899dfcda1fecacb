// Test stand-in for the Nx bundle of sast-parser; the real one is dist/apps/sast-parser/main.mjs.
export const handler = async () => ({ fixture: "sast-parser" });
