import { terraformLiteral } from '../../lib/private/terraform';

describe('terraformLiteral', () => {
  it('doubles the introducer of every interpolation and directive', () => {
    expect(terraformLiteral('${file("/etc/passwd")} %{if true}x%{endif}')).toBe('$${file("/etc/passwd")} %%{if true}x%%{endif}');
  });

  it('leaves text without templates as it is, lone dollars and percents included', () => {
    expect(terraformLiteral('99.9% of requests cost $5 {ok}')).toBe('99.9% of requests cost $5 {ok}');
  });
});
