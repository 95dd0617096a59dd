/**
 * The package ships no types. Only the factory is declared here; engine.ts describes the
 * few members it uses and checks that they are there at load time.
 */
declare module '@echogarden/espeak-ng-emscripten' {
  const createEspeakModule: (moduleArg?: Record<string, unknown>) => Promise<unknown>;
  export default createEspeakModule;
}
