export { phpstanParser, splitFileKey, normaliseMessage, NO_IDENTIFIER_RULE, GLOBAL_LOCATION } from './phpstan-parser';
export { phpstanSeverity, PHPSTAN_DEFAULT_SEVERITY, type PhpstanErrorTraits } from './severity';
