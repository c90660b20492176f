/*
 * What both entries of the SDK share. Nothing here imports Node: the browser entry re-exports it
 * as it is, and a bundler can take it into a dApp.
 */
export * from "./abis";
export * from "./contracts";
export * from "./eip712";
export * from "./epochs";
export * from "./errors";
export * from "./flows";
export * from "./wallet";
export { CONTRACT_NAMES, DeploymentError, addressOf, parseDeployment } from "../deployment-record";
export type { ContractName, DeploymentRecord } from "../deployment-record";
export { checkClock, endOf, endedEpochs, hasEnded, startOf, type EpochClock } from "../clock";
export { creditsForTokens, formatUsdPrice, tokensForCredits } from "../credits/quote";
export { formatH3Cell, isValidH3Cell, parseH3Cell } from "../registry/h3";
export { deviceOf, tokenIdOf, type OnboardRequest } from "../registry/typedData";
export * from "../../../typechain-types";
