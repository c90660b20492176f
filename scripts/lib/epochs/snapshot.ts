/** The path `tasks/` imports the snapshot file's functions from; they live in `formats/snapshot.ts`. */
export * from "./formats/snapshot";
