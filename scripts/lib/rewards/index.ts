export * from "./distribute";
export * from "./epoch-file";
export * from "./errors";
export * from "./signature";
export * from "./tree";
