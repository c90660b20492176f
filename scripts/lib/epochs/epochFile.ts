/** The path `tasks/` imports the epoch file's functions from; they live in `formats/epochFile/`. */
export * from "./formats/epochFile";
