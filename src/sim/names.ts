/** Synthetic vocabulary for simulated worlds: nothing here is a real person, address or shop. */

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
export const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '慧',
  '建国',
  '小红',
  '子涵',
  '浩然',
];

/** Districts the simulated carriers serve: province, city, district and a few street names. */
export const REGIONS: readonly { province: string; city: string; district: string; streets: string[] }[] = [
  { province: '浙江省', city: '杭州市', district: '西湖区', streets: ['文三路', '天目山路', '古墩路'] },
  { province: '浙江省', city: '杭州市', district: '滨江区', streets: ['江南大道', '滨盛路', '长河路'] },
  { province: '浙江省', city: '宁波市', district: '鄞州区', streets: ['天童南路', '四明中路', '首南路'] },
  { province: '江苏省', city: '南京市', district: '鼓楼区', streets: ['中山北路', '湖南路', '草场门大街'] },
  { province: '江苏省', city: '苏州市', district: '姑苏区', streets: ['人民路', '干将西路', '十全街'] },
  { province: '上海市', city: '上海市', district: '浦东新区', streets: ['张杨路', '世纪大道', '锦绣路'] },
  { province: '上海市', city: '上海市', district: '徐汇区', streets: ['漕溪北路', '天钥桥路', '龙华中路'] },
  { province: '广东省', city: '广州市', district: '天河区', streets: ['天河路', '体育西路', '中山大道'] },
  { province: '广东省', city: '深圳市', district: '南山区', streets: ['科技园路', '南海大道', '后海大道'] },
  { province: '北京市', city: '北京市', district: '朝阳区', streets: ['建国路', '朝阳北路', '望京街'] },
  { province: '四川省', city: '成都市', district: '武侯区', streets: ['人民南路', '科华北路', '玉林路'] },
  { province: '湖北省', city: '武汉市', district: '洪山区', streets: ['珞喻路', '雄楚大道', '光谷大道'] },
];

/** Shop categories scammers prize (母婴, 护肤, 女装, 酒类) and others, with item titles and specs. */
export const CATEGORIES: readonly { name: string; items: { title: string; spec: string[][] }[] }[] = [
  {
    name: '女装',
    items: [
      {
        title: '加厚羽绒服女款冬季中长款外套',
        spec: [
          ['黑色', '米白色', '卡其色'],
          ['S', 'M', 'L', 'XL'],
        ],
      },
      {
        title: '法式碎花连衣裙收腰显瘦长裙',
        spec: [
          ['蓝色', '粉色'],
          ['S', 'M', 'L'],
        ],
      },
    ],
  },
  {
    name: '母婴',
    items: [
      {
        title: '婴儿纸尿裤超薄透气拉拉裤',
        spec: [
          ['L码', 'XL码'],
          ['52片', '104片'],
        ],
      },
      { title: '儿童保温杯吸管杯316不锈钢', spec: [['恐龙', '兔子'], ['400ml']] },
    ],
  },
  {
    name: '护肤',
    items: [
      { title: '玻尿酸补水保湿面膜套装', spec: [['10片', '30片']] },
      { title: '氨基酸洗面奶温和清洁', spec: [['120g'], ['单支', '两支装']] },
    ],
  },
  {
    name: '数码',
    items: [
      { title: '无线蓝牙耳机降噪入耳式运动', spec: [['白色', '黑色']] },
      { title: '65W氮化镓快充充电器套装', spec: [['单头', '双口'], ['白色']] },
    ],
  },
  {
    name: '酒类',
    items: [{ title: '浓香型白酒52度礼盒装500ml', spec: [['单瓶', '两瓶装']] }],
  },
];
