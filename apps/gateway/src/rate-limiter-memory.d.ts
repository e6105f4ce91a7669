// rate-limiter-flexible's index also loads its cluster limiter (node:cluster); the memory limiter alone is
// plain JavaScript, so the app imports just that file and stays mountable in an edge runtime.
declare module 'rate-limiter-flexible/lib/RateLimiterMemory.js' {
  import type { RateLimiterMemory } from 'rate-limiter-flexible';

  const Limiter: typeof RateLimiterMemory;
  export default Limiter;
}
