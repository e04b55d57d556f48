import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages } from '@platform/stack';

/** PEM files of a private CA and of a server certificate it signed, for 127.0.0.1 and localhost. */
export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** Removes the files. */
  remove(): void;
}

/**
 * A throwaway CA and a server certificate signed by it, made with the openssl CLI (installed
 * when missing, like the servers under test; the files are all a test needs, so no library).
 */
export function createTestCertificates(): TestCertificates {
  ensureDebianPackages([{ command: 'openssl', pkg: 'openssl' }]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'test-certificates-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2'],
    ...['-subj', '/CN=platform test CA', '-keyout', file('ca.key'), '-out', file('ca.pem')],
  );
  openssl(
    ...['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'],
    ...['-keyout', file('server.key'), '-out', file('server.csr')],
  );
  writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    ...['x509', '-req', '-in', file('server.csr'), '-days', '2'],
    ...['-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial'],
    ...['-extfile', file('san.cnf'), '-out', file('server.pem')],
  );
  return {
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
