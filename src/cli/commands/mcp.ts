/** `illustrate mcp`: the flags read, then the MCP server (`../mcp`) run over stdio. */
import { toPosix } from '../../node/disk';
import { authHeaderFlag, noArguments, parse } from '../args';
import { help } from '../help';
import { serveMcp } from '../mcp';
import { Io } from '../output';

/** `illustrate mcp`: the endpoint options apply to every tool call, as for the other commands. */
export async function mcpCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { 'describe-model': { type: 'string' }, 'review-model': { type: 'string' } });
  if (values.bool('help')) {
    io.out(help());
    return 0;
  }
  noArguments('mcp', positionals);
  const auth = authHeaderFlag(values);
  await serveMcp(toPosix(process.cwd()), process.env, { baseUrl: values.str('base-url'), authHeader: auth, apiKeyFile: values.str('api-key-file'), describeModel: values.str('describe-model'), reviewModel: values.str('review-model') }, (line) => io.err(line));
  return 0;
}
