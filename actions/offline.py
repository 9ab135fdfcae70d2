"""What the action server says when the app cannot be reached: never silence, never a dead end."""

SERVICE_UNAVAILABLE = "系统有点忙，请稍等一会儿再问。着急的话请打12345政务服务热线。"
EMERGENCY = "请马上打电话求助：有危险打110，要救护车打120，着火打119。\n也可以打12345政务服务热线。"
REPHRASE = "不好意思，我没太明白。您能换个说法再说一遍吗？"
FORM_PAUSED = "系统有点忙，刚才这句没记上。请过一会儿再发一次；着急的话请打12345。"
