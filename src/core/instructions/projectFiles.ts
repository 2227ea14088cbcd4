/**
 * How the core reads a project's own files: the editor implements it over VS Code's file system
 * (so remote and virtual folders work), the command line over the disk. Paths are relative to
 * the project root and use forward slashes.
 */
export interface ProjectFiles {
  /** The file's text, or undefined when it does not exist (or cannot be read). */
  read(relativePath: string): Promise<string | undefined>;
  /** Names of the files directly in a folder; empty when the folder does not exist. */
  list(relativeFolder: string): Promise<string[]>;
}
