import { businessHoursInUtc, businessHoursInterval } from '../../lib/alertmanager/time-intervals';
import { BusinessHours } from '../../lib/definition';

const hours = (timezone: string, start = '09:00', end = '18:00', weekdays: string[] = ['monday:friday']): BusinessHours => ({ timezone, weekdays, start, end });

describe('businessHoursInterval', () => {
  it('keeps the hours as written and merges adjacent weekday ranges', () => {
    expect(businessHoursInterval(hours('Europe/Berlin', '09:00', '18:00', ['monday:friday', 'saturday']))).toEqual({
      weekdays: ['monday:saturday'],
      times: [{ start: '09:00', end: '18:00' }],
    });
  });

  it('keeps single days as single names', () => {
    expect(businessHoursInterval(hours('UTC', '09:00', '17:00', ['monday', 'wednesday'])).weekdays).toEqual(['monday', 'wednesday']);
  });
});

describe('businessHoursInUtc', () => {
  it('leaves UTC hours as they are, without months', () => {
    expect(businessHoursInUtc(hours('UTC'))).toEqual([{ weekdays: ['monday:friday'], times: [{ start: '09:00', end: '18:00' }] }]);
  });

  it('shifts a zone without daylight saving by its fixed offset', () => {
    expect(businessHoursInUtc(hours('Asia/Kolkata'))).toEqual([{ weekdays: ['monday:friday'], times: [{ start: '03:30', end: '12:30' }] }]);
  });

  it('follows daylight saving month by month, widening the months in which it changes', () => {
    expect(businessHoursInUtc(hours('Europe/Berlin'))).toEqual([
      { weekdays: ['monday:friday'], times: [{ start: '08:00', end: '17:00' }], months: ['january:february', 'november:december'] },
      { weekdays: ['monday:friday'], times: [{ start: '07:00', end: '17:00' }], months: ['march', 'october'] },
      { weekdays: ['monday:friday'], times: [{ start: '07:00', end: '16:00' }], months: ['april:september'] },
    ]);
  });

  it('splits hours that cross midnight in UTC across days', () => {
    const winter = businessHoursInUtc(hours('America/Los_Angeles')).filter((i) => i.months?.includes('january:february'));
    // 09:00-18:00 PST (UTC-8) is 17:00-02:00 UTC: Monday evening to Saturday morning.
    expect(winter).toEqual([
      { weekdays: ['monday'], times: [{ start: '17:00', end: '24:00' }], months: ['january:february', 'december'] },
      { weekdays: ['tuesday:friday'], times: [{ start: '00:00', end: '02:00' }, { start: '17:00', end: '24:00' }], months: ['january:february', 'december'] },
      { weekdays: ['saturday'], times: [{ start: '00:00', end: '02:00' }], months: ['january:february', 'december'] },
    ]);
  });
});
