import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../paths.js';

export const WEB_DIST = path.join(repoRoot, 'web', 'dist');

export interface WebBundleSize {
  /** The JavaScript index.html loads before the first render: its module script and preloads. */
  initialJsFiles: string[];
  initialJsBytes: number;
  /** The same, each file gzipped (level 9) as a server would send it. */
  initialJsGzipBytes: number;
  cssGzipBytes: number;
}

/** The files index.html names as `<script type="module" src>`, modulepreload and stylesheet links. */
export function initialAssets(html: string): { scripts: string[]; styles: string[] } {
  const attribute = (tag: string, name: string) =>
    new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const scripts: string[] = [];
  const styles: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (tag.startsWith('<script') && /type="module"/.test(tag)) {
      const src = attribute(tag, 'src');
      if (src) scripts.push(src);
    } else if (/rel="modulepreload"/.test(tag)) {
      const href = attribute(tag, 'href');
      if (href) scripts.push(href);
    } else if (/rel="stylesheet"/.test(tag)) {
      const href = attribute(tag, 'href');
      if (href) styles.push(href);
    }
  }
  return { scripts, styles };
}

/** Builds the web app for production (`npm run build -w web`) and sizes what its first load fetches. */
export function webBundleSize(): WebBundleSize {
  execFileSync('npm', ['run', '--silent', 'build', '-w', 'web'], {
    cwd: repoRoot,
    stdio: 'ignore',
  });
  const { scripts, styles } = initialAssets(
    readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8'),
  );
  const read = (url: string) => readFileSync(path.join(WEB_DIST, url.replace(/^\//, '')));
  const gzip = (url: string) => gzipSync(read(url), { level: 9 }).byteLength;
  return {
    initialJsFiles: scripts,
    initialJsBytes: scripts.reduce((sum, url) => sum + read(url).byteLength, 0),
    initialJsGzipBytes: scripts.reduce((sum, url) => sum + gzip(url), 0),
    cssGzipBytes: styles.reduce((sum, url) => sum + gzip(url), 0),
  };
}
