/**
 * Go's `strconv.FormatFloat(value, 'g', -1, 64)`, as Prometheus writes a float into the text
 * exposition format (prometheus/common `expfmt`, `writeFloat`): the value of an `le` label of a
 * histogram bucket, for instance, whose exact spelling a PromQL matcher must repeat.
 *
 * @see https://pkg.go.dev/strconv#FormatFloat
 */

/**
 * `value` as Go's `FormatFloat(value, 'g', -1, 64)` spells it, with the cases `writeFloat`
 * handles first: `+Inf`, `-Inf`, `NaN`, and `0` for both zeros (FormatFloat alone gives `-0`
 * for negative zero; this is the one difference).
 *
 * The digits are the shortest that read back as the same double; JavaScript's
 * `toExponential()` without an argument gives exactly those (ECMA-262 Number::toString rules,
 * closest candidate first, as Go's shortest formatting picks). Go's `%g` then writes them in
 * `%e` form when the decimal exponent is below -4 or, for the shortest precision, at least 6
 * (`eprec = 6` in strconv/ftoa.go), and in `%f` form otherwise. Its exponent has a sign and at
 * least two digits. So 123456 is `123456`, 1e6 is `1e+06`, 0.0001 is `0.0001` and 0.00005 is
 * `5e-05`.
 *
 * @see https://pkg.go.dev/strconv#FormatFloat
 * @see https://github.com/prometheus/common/blob/main/expfmt/text_create.go
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    // fmtE with precision nd-1: d[.ddd]e±dd
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const magnitude = String(Math.abs(exp)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exp < 0 ? '-' : '+'}${magnitude}`;
  }
  // fmtF with precision max(nd-dp, 0), where dp (the decimal point's place) is exp+1.
  const point = exp + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
