// Starts @musistudio/llms (an LLM API gateway from the npm registry) on 127.0.0.1 with one
// provider: the upstream URL given. Arguments: <upstream base URL> <port>.
const exported = require('@musistudio/llms');
const Server = exported.default ?? exported;
const [upstream, port] = process.argv.slice(2);
const providers = [{ name: 'upstream', api_base_url: `${upstream}/v1/chat/completions`, api_key: 'sk-upstream-key', models: ['fake-coder'] }];
new Server({ logger: false, initialConfig: { providers, HOST: '127.0.0.1', PORT: String(port) } }).start();
