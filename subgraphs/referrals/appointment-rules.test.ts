import fc from 'fast-check';
import type { Viewer } from '../../access-control/viewer';
import { appointmentActivity, bookerOf, CHANNEL_PLATFORMS, channelOf } from './appointment-rules';
import { APPOINTMENT_CHANNELS, APPOINTMENT_PLATFORMS } from './models';

const viewer = (roles: Viewer['roles']): Viewer => ({ subject: 's', roles, purposeOfUse: 'treatment' });
const at = new Date('2024-09-10T02:00:00Z');
const resident = bookerOf(viewer(['resident']))!;
const operator = bookerOf(viewer(['hotline_operator']))!;
const hospital = bookerOf(viewer(['hospital_system']))!;

it('counts a booking by its channel and platform; a phone booking also as a call of the hotline that took it; a cancellation takes all back', () => {
  expect(
    appointmentActivity({ organizationCode: '3201-H001', bookedAt: at, channel: 'THIRD_PARTY', platform: 'MY_NANJING_APP', bookedByOrganization: null }, 1),
  ).toEqual([{ organizationCode: '3201-H001', at, counts: { appointmentsThirdParty: 1, platformMyNanjingApp: 1 } }]);
  expect(
    appointmentActivity({ organizationCode: '3201-H002', bookedAt: at, channel: 'IN_CLINIC', platform: null, bookedByOrganization: '3201-H002' }, -1),
  ).toEqual([{ organizationCode: '3201-H002', at, counts: { appointmentsInClinic: -1 } }]);
  expect(
    appointmentActivity({ organizationCode: '3201-H001', bookedAt: at, channel: 'PHONE_12320', platform: null, bookedByOrganization: '3201-T01' }, -1),
  ).toEqual([
    { organizationCode: '3201-H001', at, counts: { appointmentsPhone12320: -1 } },
    { organizationCode: '3201-T01', at, counts: { hotlineCalls: -1, hotlinePhoneAppointments: -1 } },
  ]);
});

it('gives each caller its write and channels, and none to other roles', () => {
  expect(resident).toEqual({ write: 'book-appointment', channels: ['ONLINE_12320', 'QUICK', 'THIRD_PARTY'], legacy: [] });
  expect(operator.channels).toEqual(['PHONE_12320']);
  expect(hospital.channels).toEqual(['IN_CLINIC']);
  expect(bookerOf(viewer(['doctor', 'health_commission']))).toBeNull();
});

it('puts each platform in the bulletin’s column, and maps what older clients send', () => {
  expect(channelOf(resident, 'ONLINE_12320', 'HEALTHY_NANJING_APP')).toEqual({ channel: 'ONLINE_12320', platform: 'HEALTHY_NANJING_APP' });
  expect(channelOf(resident, 'ONLINE_12320', 'MY_NANJING_APP')).toEqual({ channel: 'THIRD_PARTY', platform: 'MY_NANJING_APP' });
  expect(channelOf(resident, 'ONLINE_12320', 'QUICK_BOOKING_12320')).toEqual({ channel: 'QUICK', platform: 'QUICK_BOOKING_12320' });
  expect(channelOf(resident, 'ONLINE_12320', null)).toEqual({ channel: 'ONLINE_12320', platform: 'WEBSITE_12320' });
  expect(channelOf(resident, 'QUICK', null)).toEqual({ channel: 'QUICK', platform: 'QUICK_BOOKING_12320' });
  expect(channelOf(resident, 'THIRD_PARTY', undefined)).toEqual({ channel: 'THIRD_PARTY', platform: 'MY_NANJING_APP' });
  expect(channelOf(operator, 'ONLINE_12320', 'WECHAT_12320')).toEqual({ channel: 'PHONE_12320', platform: null });
  expect(channelOf(operator, 'QUICK', null)).toEqual({ channel: 'PHONE_12320', platform: null });
  expect(channelOf(operator, 'PHONE_12320', null)).toEqual({ channel: 'PHONE_12320', platform: null });
  expect(channelOf(resident, 'PHONE_12320', null)).toBeNull();
  expect(channelOf(operator, 'THIRD_PARTY', null)).toBeNull();
  expect(channelOf(hospital, 'IN_CLINIC', null)).toEqual({ channel: 'IN_CLINIC', platform: null });
});

it('never counts a booking on a platform outside its channel, whoever books whatever', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(resident, operator, hospital),
      fc.constantFrom(...APPOINTMENT_CHANNELS),
      fc.option(fc.constantFrom(...APPOINTMENT_PLATFORMS)),
      (booker, channel, platform) => {
        const counted = channelOf(booker, channel, platform);
        if (counted === null) return;
        expect(booker.channels).toContain(counted.channel);
        if (CHANNEL_PLATFORMS[counted.channel].length === 0) expect(counted.platform).toBeNull();
        else expect(CHANNEL_PLATFORMS[counted.channel]).toContain(counted.platform);
      },
    ),
  );
});
