import { describe, expect, it } from 'vitest';
import { parseDump } from './dump.ts';

describe('reading leaked dumps', () => {
  it('reads CSV with Chinese headers, quoted cells and missing values', () => {
    const csv =
      '订单号,姓名,电话,收货地址,商品,下单时间\n2123456789012345678,王*,170 0001 2345,"杭州市西湖区文三路90号3栋1-501",羽绒服 黑色;XL,2026-11-20 14:05\n,李**,,,,\n';
    expect(parseDump(csv)).toEqual([
      {
        order_no: '2123456789012345678',
        name: '王*',
        phone: '170 0001 2345',
        address: '杭州市西湖区文三路90号3栋1-501',
        item: '羽绒服 黑色;XL',
        time: '2026-11-20 14:05',
      },
      { name: '李**' },
    ]);
  });

  it('reads JSON lines, skipping broken ones', () => {
    expect(parseDump('{"name":"王*","address":"上海市浦东新区张杨路1号"}\n{oops\n{"phone":17000012345}')).toEqual([
      { name: '王*', address: '上海市浦东新区张杨路1号' },
      { phone: '17000012345' },
    ]);
  });

  it('picks fields out of free text by their shape', () => {
    expect(parseDump('订单2123456789012345678 张** 17000012345 2026/11/20 14:05:37 已签收')).toEqual([
      { order_no: '2123456789012345678', name: '张**', phone: '17000012345', time: '2026/11/20 14:05:37' },
    ]);
  });
});
