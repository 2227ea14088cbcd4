/** The fake OpenAI-compatible server and its reply helpers (see README.md in this folder). */
export { FakeOpenAIServer, DEFAULT_CATALOG } from './fakeOpenAIServer';
export type { Endpoint, FakeBucketLimit, FakeClock, FakeHandler, FakeRateLimits, FakeServerOptions, GitHubCatalogEntry, RecordedRequest } from './fakeOpenAIServer';
export { githubErrors, rateLimitMessage } from './githubErrors';
export type { GitHubLimitType, RateLimitOptions } from './githubErrors';
export { reply } from './replies';
export type { FakeReply, FakeUsage } from './replies';
