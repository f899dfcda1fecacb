// Test stand-in for the Nx bundle of auto-remediator; the real one is dist/apps/auto-remediator/main.mjs.
export const handler = async () => ({ fixture: "auto-remediator" });
