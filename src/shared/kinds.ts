/** What each kind of party is called in Chinese (reports, the console); pure data, safe in the browser. */
export const KIND_ZH: Readonly<Record<string, string>> = {
  platform: '平台',
  cs_agent: '平台客服',
  merchant: '商家',
  merchant_staff: '商家员工账号',
  erp: 'ERP/ISV',
  carrier: '快递公司',
  outlet: '网点',
  station: '驿站',
  courier: '快递员',
  regulator: '监管',
  police: '公安',
};
