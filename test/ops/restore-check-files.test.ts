import { restoreCheckFiles } from '../../lib/ops/restore-check-files';

describe('the restore test check files', () => {
  it('hold each query and its floor under a numbered name, in the order of the definition', () => {
    expect(
      restoreCheckFiles([
        { name: 'orders-rows', query: 'SELECT count(*) FROM orders', min: 1000 },
        { name: 'revenue', query: "SELECT sum(amount) FROM orders WHERE note <> '$(id)'", min: 0.5 },
      ]),
    ).toEqual({
      '01-orders-rows.sql': 'SELECT count(*) FROM orders\n',
      '01-orders-rows.min': '1000\n',
      '02-revenue.sql': "SELECT sum(amount) FROM orders WHERE note <> '$(id)'\n",
      '02-revenue.min': '0.5\n',
    });
  });

  it('number with as many digits as the count needs, so the files sort in order', () => {
    const files = Object.keys(restoreCheckFiles(Array.from({ length: 120 }, (_, i) => ({ name: `c${i}`, query: 'SELECT 1', min: 0 })))).filter((f) => f.endsWith('.sql'));
    expect(files[0]).toBe('001-c0.sql');
    expect([...files].sort()).toEqual(files);
    expect(restoreCheckFiles([])).toEqual({});
  });
});
