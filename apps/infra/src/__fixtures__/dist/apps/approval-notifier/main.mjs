// Test stand-in for the Nx bundle of approval-notifier; the real one is dist/apps/approval-notifier/main.mjs.
export const handler = async () => ({ fixture: "approval-notifier" });
