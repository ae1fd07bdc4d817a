import type { ActivityRowResolvers, CockpitHospitalAppointmentsResolvers } from '../__generated__/resolver-types';

export const ActivityRow: ActivityRowResolvers = {
  organization: (row, _args, { loaders }) => (row.organizationCode ? loaders.organizationByCode.load(row.organizationCode) : null),
};

export const CockpitHospitalAppointments: CockpitHospitalAppointmentsResolvers = {
  organization: (row, _args, { loaders }) => loaders.organizationByCode.load(row.organizationCode),
};
