/** Patterns of values that must never be logged, whatever their source. */
const PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'session cookie', re: /wecom_sidebar_session=|wecom_oauth_[A-Za-z0-9_-]+=/ },
  { name: 'sealed cookie value', re: /Fe26\.2\*/ },
  {
    name: 'token or ticket in a URL',
    re: /[?&](access_token|suite_access_token|provider_access_token|ticket|jsapi_ticket|corpsecret|suite_secret|suite_ticket|permanent_code)=[^&\s"]{8,}/,
  },
  { name: 'OAuth or auth code in a URL', re: /[?&](code|auth_code|pre_auth_code)=[A-Za-z0-9_-]{16,}/ },
  {
    name: 'JSON token field',
    re: /"(access_token|jsapi_ticket|ticket|permanent_code|suite_ticket|corpsecret|secret)"\s*:\s*"[^"]{8,}"/,
  },
  {
    name: 'long random string (token, ticket or code)',
    re: /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43,}(?![A-Za-z0-9_-])/,
  },
  { name: 'mainland mobile number', re: /(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])/ },
];

/** Every leak in a log text: a known sensitive value or a pattern match (with the line number). */
export function findLeaks(text: string, known: readonly string[]): string[] {
  const found: string[] = [];
  const values = known.filter((v) => v.length >= 6);
  text.split('\n').forEach((line, i) => {
    for (const v of values) if (line.includes(v)) found.push(`line ${i + 1}: a known secret or mobile`);
    for (const { name, re } of PATTERNS) if (re.test(line)) found.push(`line ${i + 1}: ${name}`);
  });
  return found;
}
