/** The repository's own Aurelis file. Apart from its reader (projectFileRules.ts), so looking for it does not load the YAML parser. */
export const PROJECT_FILE = '.aurelis.yaml';
