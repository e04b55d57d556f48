import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from '@platform/stack';

/** A certificate authority of a test's own and a server certificate it signed for 127.0.0.1. */
export interface TestCertificates {
  /** The CA's certificate (PEM): what a client trusts. */
  caFile: string;
  /** The server's unencrypted private key and certificate in one PEM file (a PEM keystore). */
  serverKeystoreFile: string;
  dispose(): void;
}

/**
 * Made with the openssl command (Node can verify certificates but not issue them), valid for a
 * day, for `IP:127.0.0.1` and `DNS:localhost`.
 */
export function makeTestCertificates(): TestCertificates {
  ensureDebianPackages([{ command: 'openssl', pkg: 'openssl' }]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'test-certificates-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  writeFileSync(
    file('server-keystore.pem'),
    readFileSync(file('server.key'), 'utf8') + readFileSync(file('server.pem'), 'utf8'),
  );
  return {
    caFile: file('ca.pem'),
    serverKeystoreFile: file('server-keystore.pem'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
