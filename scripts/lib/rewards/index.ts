export * from "./distribute";
export * from "./errors";
export * from "./signature";
export * from "./claim";
