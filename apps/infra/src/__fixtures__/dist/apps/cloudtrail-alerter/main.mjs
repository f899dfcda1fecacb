// Test stand-in for the Nx bundle of cloudtrail-alerter; the real one is dist/apps/cloudtrail-alerter/main.mjs.
export const handler = async () => ({ fixture: "cloudtrail-alerter" });
