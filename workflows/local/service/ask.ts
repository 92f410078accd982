/** Asking a running local stack over its local routes (/_invoicer/...): no SDK, no session. */
import type { LocalServiceInfo } from './service-file.js';

/** A JSON route of the running stack (/_invoicer/<route>). */
export async function askLocalStack<T>(
  info: Pick<LocalServiceInfo, 'endpoints' | 'dataDir'>,
  route: string,
  body?: unknown,
): Promise<T> {
  const url = `${info.endpoints.stepfunctions}/_invoicer/${route}`;
  let response: Response;
  try {
    response = await fetch(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  } catch (error) {
    throw new Error(
      `the local stack of ${info.dataDir} does not answer at ${info.endpoints.stepfunctions} (${(error as Error).message}); see: invoicer local status`,
      { cause: error },
    );
  }
  if (!response.ok) throw new Error(`local stack ${route}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
