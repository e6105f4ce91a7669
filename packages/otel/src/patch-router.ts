import type {
  BaseRouter,
  Prompt,
  RouteOptions,
  RouteResult,
  RouteStream,
  StreamPart,
  ToolCall,
} from '@llmo/core';
import { context } from '@opentelemetry/api';
import { TRACED_CALL, TracedCall } from './traced-call.js';

/**
 * Wraps `route` and `routeStream` of one router instance (own properties over the prototype's methods, removed
 * by the returned function) so that each call runs with a `TracedCall` in the OpenTelemetry context. The
 * router's `route-start` event, emitted inside the call, finds it there; this needs a context manager that
 * follows async work (the Node SDK's `AsyncLocalStorageContextManager`). Without one, spans still come from
 * the events alone.
 */
export function patchRouter(router: BaseRouter): () => void {
  const route = router.route;
  const routeStream = router.routeStream;

  const tracedRoute = function (this: BaseRouter, prompt: Prompt, options: RouteOptions = {}) {
    const parent = context.active();
    const call = new TracedCall(prompt, options, parent);
    const pending = context.with(parent.setValue(TRACED_CALL, call), () => route.call(this, prompt, options));
    pending.then(
      (result: RouteResult) =>
        call.settle({
          finishReason: result.finishReason,
          responseModel: result.response?.model ?? result.model,
          ...(result.response?.id !== undefined ? { responseId: result.response.id } : {}),
          text: result.text,
          toolCalls: result.toolCalls,
        }),
      () => call.settle(undefined),
    );
    return pending;
  };

  const tracedRouteStream = function (this: BaseRouter, prompt: Prompt, options: RouteOptions = {}) {
    const parent = context.active();
    const call = new TracedCall(prompt, options, parent);
    const callContext = parent.setValue(TRACED_CALL, call);
    const stream = context.with(callContext, () => routeStream.call(this, prompt, options));
    bindParts(stream, callContext, call);
    return stream;
  };

  define(router, 'route', tracedRoute);
  define(router, 'routeStream', tracedRouteStream);
  return () => {
    if (Object.getOwnPropertyDescriptor(router, 'route')?.value === tracedRoute)
      delete (router as Partial<BaseRouter>).route;
    if (Object.getOwnPropertyDescriptor(router, 'routeStream')?.value === tracedRouteStream)
      delete (router as Partial<BaseRouter>).routeStream;
  };
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: false });
}

/**
 * The stream runs when it is read, not when it is created: each read of its parts (`parts`, `textStream`,
 * iterating it, or `result` draining it, which all go through `parts`) runs in the call's context, and the
 * parts are watched for how the answer finished.
 */
function bindParts(
  stream: RouteStream,
  callContext: ReturnType<typeof context.active>,
  call: TracedCall,
): void {
  const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(stream), 'parts');
  const original = descriptor?.get;
  if (!original) return; // another RouteStream shape: leave it alone, the events still trace it
  let responseModel: string | undefined;
  let responseId: string | undefined;
  let text = '';
  const blocks = new Map<string, string>();
  const toolCalls: ToolCall[] = [];
  const observe = (part: StreamPart) => {
    switch (part.type) {
      case 'response-metadata':
        responseModel = part.model ?? responseModel;
        responseId = part.id ?? responseId;
        break;
      case 'text-delta':
        blocks.set(part.id, (blocks.get(part.id) ?? '') + part.delta);
        break;
      case 'text-revision':
        blocks.set(part.id, part.text);
        break;
      case 'text-end':
        text += blocks.get(part.id) ?? '';
        blocks.delete(part.id);
        break;
      case 'tool-call':
        toolCalls.push({ id: part.id, name: part.name, arguments: part.arguments });
        break;
      case 'finish':
        for (const open of blocks.values()) text += open;
        call.settle({
          finishReason: part.finishReason,
          ...(responseModel !== undefined ? { responseModel } : {}),
          ...(responseId !== undefined ? { responseId } : {}),
          text,
          toolCalls,
        });
        break;
    }
  };
  Object.defineProperty(stream, 'parts', {
    configurable: true,
    get(): AsyncIterable<StreamPart> {
      const parts = original.call(stream) as AsyncIterable<StreamPart>;
      return {
        [Symbol.asyncIterator]() {
          const iterator = context.with(callContext, () => parts[Symbol.asyncIterator]());
          const seen = (step: IteratorResult<StreamPart>) => {
            if (step.done) call.settle(undefined);
            else observe(step.value);
            return step;
          };
          // Duck-typed rather than core's `readyPartsOf`: any 0.x core satisfies the peer range, older ones lack it.
          const takeReady = (iterator as { takeReady?: () => IteratorResult<StreamPart> | undefined })
            .takeReady;
          const take = typeof takeReady === 'function' ? takeReady.bind(iterator) : undefined;
          return {
            next: async () => {
              try {
                return seen(await context.with(callContext, () => iterator.next()));
              } catch (error) {
                call.settle(undefined);
                throw error;
              }
            },
            // Parts the router has ready pass through untouched (see ReadyParts): tracing keeps the fast path.
            ...(take && {
              takeReady: () => {
                try {
                  const step = context.with(callContext, take);
                  return step === undefined ? undefined : seen(step);
                } catch (error) {
                  call.settle(undefined);
                  throw error;
                }
              },
            }),
            return: async (value?: unknown) => {
              call.settle(undefined);
              return (
                (await context.with(callContext, () => iterator.return?.(value))) ?? {
                  done: true,
                  value: undefined,
                }
              );
            },
          };
        },
      };
    },
  });
}
