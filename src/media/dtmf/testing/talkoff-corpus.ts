/**
 * Text for the talk-off test (test/interop/dtmf-talkoff.test.ts), written for it: call-centre
 * dialogue, numbers read aloud (including the DTMF frequencies), tongue twisters, vowels and
 * hums, sung syllables, classical poems. espeak-ng speaks each paragraph in several styles.
 */
export const ENGLISH: readonly string[] = [
  'Good morning, and thank you for calling. My name is Sarah, and I will be looking after your request today. Before we begin, could you please confirm your full name, the first line of your address, and the date of birth on the account?',
  'I understand that the parcel you ordered three weeks ago has still not arrived. That must be very frustrating, especially since you paid for express delivery. Let me check the tracking number with our courier and see exactly where it was last scanned.',
  'The weather in the northern hills will stay cool and breezy through Thursday, with scattered showers moving in from the coast. By the weekend a ridge of high pressure should bring clear skies, light winds, and temperatures climbing toward twenty four degrees.',
  'Six hundred and ninety seven, seven hundred and seventy, eight hundred and fifty two, nine hundred and forty one. Zero, one, two, three, four, five, six, seven, eight, nine. Star, pound, hash, and the letters A, B, C and D. Please say the number slowly and clearly after the tone.',
  'She sells sea shells by the sea shore, and the shells she sells are surely sea shells. Peter Piper picked a peck of pickled peppers. How much wood would a woodchuck chuck if a woodchuck could chuck wood? Red lorry, yellow lorry, red lorry, yellow lorry.',
  'Oh no, really? Wow! Hmm, let me think about that for a moment. Yes, yes, absolutely, that sounds wonderful. Ahh, I see what happened there. Well, well, well. Ooh, that is a surprise. Eeeee! Mmmm. Oh, oh, oh, I remember now, it was on Tuesday evening.',
  'Our engineers have identified the fault on the fibre line that serves your street. A replacement cable is being laid this afternoon, and service should be restored by eight o clock tonight. We apologise for the inconvenience and will credit your account for the lost days.',
  'Singing softly in the evening, the old sailor hummed a long melody about the wind, the waves, and the lighthouse far away. Laaa, la la laaa, dooo, dee dee dooo. The children clapped, laughed, and asked him to sing the song about the whale one more time.',
];

export const MANDARIN: readonly string[] = [
  '您好，欢迎致电客户服务中心。为了保障您的账户安全，请您先告诉我您的姓名、身份证号码的后四位，以及您注册时使用的手机号码。',
  '我理解您对这次延迟发货感到非常不满。我已经为您查询了物流信息，包裹目前在杭州转运中心，预计明天下午可以送达。如果明天仍未收到，请您再次来电，我们会为您优先处理。',
  '今天北方大部分地区天气晴朗，气温回升，早晚温差较大。南方地区将有一次明显的降雨过程，江南和华南部分地区有大到暴雨，请大家出门记得携带雨具，注意交通安全。',
  '零，一，二，三，四，五，六，七，八，九。请在听到提示音后输入您的会员号码，以井号键结束。如需返回上一级菜单，请按星号键。人工服务请按零。',
  '春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。床前明月光，疑是地上霜。举头望明月，低头思故乡。白日依山尽，黄河入海流。欲穷千里目，更上一层楼。',
  '好的，没问题，我马上帮您办理。嗯，请稍等一下，系统正在加载。哎呀，不好意思，刚才网络有点慢。好了，已经办好了，您的套餐从下个月一号开始生效。还有什么可以帮您的吗？',
];

/** espeak-ng styles: voice variant, speed (words per minute) and pitch (0–99). */
export interface SpeechStyle {
  readonly variant: string;
  readonly speed: number;
  readonly pitch: number;
}

export const STYLES: readonly SpeechStyle[] = [
  { variant: '', speed: 150, pitch: 40 },
  { variant: '+f3', speed: 185, pitch: 70 },
  { variant: '+m3', speed: 125, pitch: 25 },
  // High voices put their 4th and 5th harmonics on 941 + 1209 Hz (the * key) at f0 ≈ 238 Hz.
  { variant: '+f1', speed: 160, pitch: 80 },
  { variant: '+Annie', speed: 150, pitch: 85 },
];
