/** Configuration: tearline.yaml and the environment, validated, with errors that point at the line. */
export { type EnvResult, readEnv, type TearlineEnv } from "./env.ts";
export {
  type ConfigError,
  type ConfigResult,
  type ConfigWarning,
  formatConfigErrors,
  loadConfig,
  parseConfigText,
} from "./load.ts";
export { hasRole, memberOf, roomAliasFor } from "./lookup.ts";
export * from "./schema.ts";
