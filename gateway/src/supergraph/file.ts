import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@platform/logger';

export interface SupergraphFileOptions {
  /** The composed supergraph (`npm run compose` writes schema/supergraph.graphql). */
  path: string;
  logger: Logger;
  /** Writes arriving within this window are read once: a file is often written in chunks. */
  debounceMs?: number;
}

/**
 * The gateway's supergraph, read from a file and re-read whenever the file changes, so a new
 * composition goes live without a restart. A change that does not load (unreadable, not a valid
 * supergraph) is logged and the previous supergraph keeps serving. Subgraphs are not
 * health-checked before switching: a subgraph that is briefly down must not block a schema change.
 */
export function supergraphFromFile({
  path: file,
  logger,
  debounceMs = 200,
}: SupergraphFileOptions): SupergraphSdlHook {
  return async ({ update }) => {
    let served = await readFile(file, 'utf8');
    let timer: NodeJS.Timeout | undefined;
    let reloading = Promise.resolve();

    const reload = async () => {
      let sdl: string;
      try {
        sdl = await readFile(file, 'utf8');
      } catch (error) {
        logger.error(
          { err: error, path: file },
          'cannot read the supergraph; serving the previous one',
        );
        return;
      }
      if (sdl === served) return;
      try {
        update(sdl);
        served = sdl;
        logger.info({ path: file }, 'supergraph updated');
      } catch (error) {
        logger.error(
          { err: error, path: file },
          'supergraph change rejected; serving the previous one',
        );
      }
    };

    // The directory, not the file, is watched: tools that replace the file (write a new one, then
    // rename it over the old) leave a watch on the old file silent.
    const watcher = watch(path.dirname(file), (_event, changed) => {
      if (changed !== null && changed !== path.basename(file)) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reloading = reloading.then(reload);
      }, debounceMs);
    });
    watcher.on('error', (error) => {
      logger.error(
        { err: error, path: file },
        'supergraph watch failed; changes are not picked up',
      );
    });

    return {
      supergraphSdl: served,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
        await reloading;
      },
    };
  };
}
