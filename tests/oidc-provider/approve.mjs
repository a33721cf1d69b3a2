// The device flow's user step, automated for the demo: opens the verification URL, signs in with the
// development login (any password) and confirms the code, as a person would in a browser.
//   node approve.mjs VERIFICATION_URI_COMPLETE ACCOUNT
// Exits 0 when the provider says "Sign-in Success", 1 otherwise.
const [verificationUri, account] = process.argv.slice(2);
if (!verificationUri || !account) {
  process.stderr.write('usage: node approve.mjs VERIFICATION_URI_COMPLETE ACCOUNT\n');
  process.exit(2);
}

const cookies = new Map();
const decode = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

async function request(url, init = {}) {
  // Follows redirects by hand so every Set-Cookie along the way lands in the jar.
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).toString();
      init = {};
      continue;
    }
    return { url, html: await response.text() };
  }
  throw new Error('too many redirects');
}

let { url, html } = await request(verificationUri);
for (let step = 0; step < 6; step++) {
  const form = html.match(/<form[^>]*action="([^"]*)"/);
  if (!form) break;
  const fields = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) fields.append(m[1], decode(m[2]));
  if (html.includes('name="login"')) {
    fields.append('login', account);
    fields.append('password', 'any');
  } else if (step === 0) {
    fields.append('confirm', 'yes');
  }
  ({ url, html } = await request(new URL(decode(form[1]), url).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  }));
}
if (!html.includes('Sign-in Success')) {
  process.stderr.write('approve.mjs: the device flow\'s user step did not end in success\n');
  process.exit(1);
}
process.stdout.write(`approved the device code as ${account}\n`);
