/** The descriptions of the options many tasks share. */
export const ACCOUNT = "The address of the configured account that sends it (default: the first configured account)";
export const DEPLOYMENTS = "The deployments folder (default deployments/)";
