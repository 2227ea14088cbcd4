/**
 * The kinds of secret the scanner knows, with the words the editor uses for them. The id is
 * what `redact` writes (`[REDACTED:github_token]`) and what the audit log records.
 */
export const SECRET_KINDS = [
  'private_key',
  'github_token',
  'aws_access_key_id',
  'aws_secret_access_key',
  'jwt',
  'slack_token',
  'slack_webhook',
  'stripe_key',
  'google_api_key',
  'openai_key',
  'anthropic_key',
  'connection_string',
  'auth_header',
  'password',
  'generic_secret',
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

const LABELS: Record<SecretKind, string> = {
  private_key: 'private key',
  github_token: 'GitHub token',
  aws_access_key_id: 'AWS access key id',
  aws_secret_access_key: 'AWS secret access key',
  jwt: 'JSON Web Token',
  slack_token: 'Slack token',
  slack_webhook: 'Slack webhook URL',
  stripe_key: 'Stripe secret key',
  google_api_key: 'Google API key',
  openai_key: 'OpenAI API key',
  anthropic_key: 'Anthropic API key',
  connection_string: 'password in a connection string',
  auth_header: 'credential in an Authorization header',
  password: 'password',
  generic_secret: 'secret, token or API key',
};

export function secretKindLabel(kind: SecretKind): string {
  return LABELS[kind];
}
