/**
 * Prometheus and Alertmanager run annotation values and most receiver fields as Go templates
 * (`text/template`). Text from a definition must reach them as literal text: a `{{` in a
 * description would otherwise break the whole rule file, and a valid action such as
 * `{{ with query "..." }}` would run PromQL at alert time.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/template_reference/
 * @see https://pkg.go.dev/text/template
 */

/** The action that prints a literal `{{`: Go templates have no other way to escape the delimiter. */
const LEFT_DELIMITER = '{{ "{{" }}';

/**
 * User text as a Go template that renders to exactly that text. Only the left delimiter `{{`
 * starts an action, so it is the only sequence to escape.
 * @example goTemplateLiteral('{{ $value }}') // '{{ "{{" }} $value }}'
 */
export function goTemplateLiteral(text: string): string {
  return text.split('{{').join(LEFT_DELIMITER);
}

/** What a template made by `goTemplateLiteral` renders to: the original text. */
export function renderGoTemplateLiteral(template: string): string {
  return template.split(LEFT_DELIMITER).join('{{');
}
