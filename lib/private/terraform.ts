/**
 * Terraform reads every string of its JSON configuration as a template: `${...}` interpolates
 * and `%{...}` runs a directive. Text from a definition must reach it as literal text, or a
 * description such as `${file("/etc/passwd")}` would be evaluated by `terraform apply`.
 * @see https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */

/** Text as a Terraform string template that renders to exactly that text. */
export function terraformLiteral(text: string): string {
  // Function replacements: in a replacement string `$$` would itself mean one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
