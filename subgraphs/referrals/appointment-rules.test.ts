import type { Viewer } from '../../access-control/viewer';
import { appointmentActivity, bookerOf } from './appointment-rules';

const viewer = (roles: Viewer['roles']): Viewer => ({ subject: 's', roles, purposeOfUse: 'treatment' });
const at = new Date('2024-09-10T02:00:00Z');

it('counts a booking by its channel, and an online one by its platform too; a cancellation takes both back', () => {
  expect(appointmentActivity({ organizationCode: '3201-H001', bookedAt: at, channel: 'ONLINE_12320', platform: 'MY_NANJING_APP' }, 1)).toEqual({
    organizationCode: '3201-H001',
    at,
    counts: { appointmentsOnline12320: 1, platformMyNanjingApp: 1 },
  });
  expect(appointmentActivity({ organizationCode: '3201-H002', bookedAt: at, channel: 'IN_CLINIC', platform: null }, -1).counts).toEqual({
    appointmentsInClinic: -1,
  });
});

it('gives each caller its write and channels, and none to other roles', () => {
  expect(bookerOf(viewer(['resident']))).toEqual({ write: 'book-appointment', channels: ['ONLINE_12320', 'QUICK', 'THIRD_PARTY'] });
  expect(bookerOf(viewer(['hotline_operator']))?.channels).toEqual(['ONLINE_12320', 'QUICK']);
  expect(bookerOf(viewer(['hospital_system']))?.channels).toEqual(['IN_CLINIC']);
  expect(bookerOf(viewer(['doctor', 'health_commission']))).toBeNull();
});
