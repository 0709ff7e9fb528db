/** The command-line tool's version, as `illustrate --version` and the MCP server report it. */
export const VERSION = '0.2.0';
